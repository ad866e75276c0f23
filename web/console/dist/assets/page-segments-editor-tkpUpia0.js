import{u as e}from"./index-CgZPKmKV.js";import{C as t}from"./Page-DU6LfDfg.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
