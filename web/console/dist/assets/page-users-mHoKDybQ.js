import{c as e}from"./index-BVaRfZwq.js";import{C as t}from"./Page-Dti51gpl.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
