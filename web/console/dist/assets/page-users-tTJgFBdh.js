import{u as e}from"./index-04rIAR1n.js";import{C as t}from"./Page-CYxHh7ZY.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
