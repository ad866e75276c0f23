import{c as o}from"./index-Dk_W_Bku.js";import{C as e}from"./Page-BSTfGkhS.js";function s(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{s as default};
