import{c as o}from"./index-BVaRfZwq.js";import{C as e}from"./Page-Dti51gpl.js";function s(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{s as default};
