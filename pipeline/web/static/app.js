// Bring the highlighted passage of a document into view (/doc/{id}?start=&end=).
document.addEventListener("DOMContentLoaded", function () {
  var passage = document.getElementById("passage");
  if (passage) passage.scrollIntoView({block: "center"});
});
