import{u as o}from"./index-DoMkmNa3.js";import{C as e}from"./Page-V6BoJ7WZ.js";function i(){return o(e,{title:"Segments",children:"Saved groups of users of this site."})}export{i as default};
