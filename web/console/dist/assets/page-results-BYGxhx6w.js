import{c as t}from"./index-BVaRfZwq.js";import{C as e}from"./Page-Dti51gpl.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
