import{u as e}from"./index-C3kK88kJ.js";import{C as o}from"./Page-Dgckqrto.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
