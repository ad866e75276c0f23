import{u as e}from"./index-CgZPKmKV.js";import{C as o}from"./Page-DU6LfDfg.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
