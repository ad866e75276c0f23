import{u as e}from"./index-CgZPKmKV.js";import{C as t}from"./Page-DU6LfDfg.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
