import{c as t}from"./index-GinedYrz.js";import{C as e}from"./Page-BbnTLOyb.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
