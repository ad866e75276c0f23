import{u as o}from"./index-04rIAR1n.js";import{C as t}from"./Page-CYxHh7ZY.js";function i(){return o(t,{title:"API keys"})}export{i as default};
