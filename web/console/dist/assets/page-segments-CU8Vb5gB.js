import{c as o}from"./index-GinedYrz.js";import{C as e}from"./Page-BbnTLOyb.js";function s(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{s as default};
