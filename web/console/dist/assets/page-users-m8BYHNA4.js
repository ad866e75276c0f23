import{u as e}from"./index-DoMkmNa3.js";import{C as t}from"./Page-V6BoJ7WZ.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
