import{u as e}from"./index-04rIAR1n.js";import{C as o}from"./Page-CYxHh7ZY.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
