import{u as t}from"./index-MaD0M_r6.js";import{C as e}from"./Page-BilBp6bN.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
