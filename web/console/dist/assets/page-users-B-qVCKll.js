import{c as e}from"./index-GinedYrz.js";import{C as t}from"./Page-BbnTLOyb.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
