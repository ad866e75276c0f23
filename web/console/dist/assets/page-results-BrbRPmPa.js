import{u as t}from"./index-04rIAR1n.js";import{C as e}from"./Page-CYxHh7ZY.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
