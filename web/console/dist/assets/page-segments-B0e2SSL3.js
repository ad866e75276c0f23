import{u as o}from"./index-CgZPKmKV.js";import{C as e}from"./Page-DU6LfDfg.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
