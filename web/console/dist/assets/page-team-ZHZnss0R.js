import{u as e}from"./index-DoMkmNa3.js";import{C as o}from"./Page-V6BoJ7WZ.js";function i(){return e(o,{title:"Team",children:"Members, roles and invites."})}export{i as default};
