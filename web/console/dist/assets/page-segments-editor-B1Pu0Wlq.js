import{c as e}from"./index-GinedYrz.js";import{C as t}from"./Page-BbnTLOyb.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
