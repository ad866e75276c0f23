import{u as o}from"./index-D8y5ag-c.js";import{C as e}from"./Page-BqePpbQq.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
