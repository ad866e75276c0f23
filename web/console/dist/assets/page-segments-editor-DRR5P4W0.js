import{c as e}from"./index-BVaRfZwq.js";import{C as t}from"./Page-Dti51gpl.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
