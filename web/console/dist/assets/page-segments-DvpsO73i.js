import{u as o}from"./index-MaD0M_r6.js";import{C as e}from"./Page-BilBp6bN.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
