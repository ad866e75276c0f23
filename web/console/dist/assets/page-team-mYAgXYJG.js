import{u as e}from"./index-MaD0M_r6.js";import{C as o}from"./Page-BilBp6bN.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
