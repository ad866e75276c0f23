import{u as t}from"./index-C3kK88kJ.js";import{C as e}from"./Page-Dgckqrto.js";function s(){return t(e,{title:"Results",children:"Charts, the responses table and exports."})}export{s as default};
