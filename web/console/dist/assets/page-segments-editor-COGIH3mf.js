import{u as e}from"./index-CUYRhoZT.js";import{C as t}from"./Page-DcJDdwic.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
