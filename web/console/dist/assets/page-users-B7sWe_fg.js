import{u as e}from"./index-D8y5ag-c.js";import{C as t}from"./Page-BqePpbQq.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
