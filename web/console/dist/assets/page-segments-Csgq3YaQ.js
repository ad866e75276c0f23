import{u as o}from"./index-CUYRhoZT.js";import{C as e}from"./Page-DcJDdwic.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
