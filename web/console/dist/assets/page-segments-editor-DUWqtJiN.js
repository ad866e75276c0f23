import{u as e}from"./index-DoMkmNa3.js";import{C as t}from"./Page-V6BoJ7WZ.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
