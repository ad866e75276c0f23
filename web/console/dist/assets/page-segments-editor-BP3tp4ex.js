import{u as e}from"./index-D8y5ag-c.js";import{C as t}from"./Page-BqePpbQq.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
