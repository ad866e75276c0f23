import{u as t}from"./index-CUYRhoZT.js";import{C as e}from"./Page-DcJDdwic.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
