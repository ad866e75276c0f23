import{c as e}from"./index-SjBx2SYs.js";import{C as t}from"./Page-DiIb4OuU.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
