import{u as e}from"./index-MaD0M_r6.js";import{C as t}from"./Page-BilBp6bN.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
