import{u as t}from"./index-04rIAR1n.js";import{C as o}from"./Page-CYxHh7ZY.js";function r(){return t(o,{title:"Site settings"})}export{r as default};
