import{u as e}from"./index-04rIAR1n.js";import{C as t}from"./Page-CYxHh7ZY.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
