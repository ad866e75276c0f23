import{u as o}from"./index-04rIAR1n.js";import{C as e}from"./Page-CYxHh7ZY.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
