import{u as e}from"./index-D8y5ag-c.js";import{C as o}from"./Page-BqePpbQq.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
