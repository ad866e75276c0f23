import{c as e}from"./index-SjBx2SYs.js";import{C as t}from"./Page-DiIb4OuU.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
