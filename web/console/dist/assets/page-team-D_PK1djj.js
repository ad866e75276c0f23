import{u as e}from"./index-CUYRhoZT.js";import{C as o}from"./Page-DcJDdwic.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
