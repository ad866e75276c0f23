import{c as t}from"./index-SjBx2SYs.js";import{C as e}from"./Page-DiIb4OuU.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
