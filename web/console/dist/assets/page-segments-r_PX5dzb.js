import{c as o}from"./index-SjBx2SYs.js";import{C as e}from"./Page-DiIb4OuU.js";function s(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{s as default};
