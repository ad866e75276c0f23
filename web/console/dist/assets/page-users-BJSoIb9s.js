import{c as e}from"./index-Dk_W_Bku.js";import{C as t}from"./Page-BSTfGkhS.js";function r(){return e(t,{title:"Users",children:"Identified users of this site."})}export{r as default};
