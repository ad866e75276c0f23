import{c as e}from"./index-Dk_W_Bku.js";import{C as t}from"./Page-BSTfGkhS.js";function r(){return e(t,{title:"Segment",children:"A visual rule builder with a live count."})}export{r as default};
