import{u as e}from"./index-CUYRhoZT.js";import{C as t}from"./Page-DcJDdwic.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
