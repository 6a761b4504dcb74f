// The public map of service points: Leaflet (vendored) over the configured tiles, the
// points from the public GeoJSON. Without JavaScript the list on the page is all there is.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("points-map");
    if (!box || !window.L) { return; }
    var options = { attribution: box.dataset.attribution || "", maxZoom: 18 };
    if (box.dataset.subdomains) { options.subdomains = box.dataset.subdomains.split(","); }
    var map = L.map(box, { scrollWheelZoom: false }).setView([31.23, 121.47], 11);
    L.tileLayer(box.dataset.tiles, options).addTo(map);
    fetch(box.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            var popup = document.createElement("div");
            var title = document.createElement("strong");
            title.textContent = p.name;
            var address = document.createElement("p");
            address.textContent = p.address + (p.opening_hours ? " · " + p.opening_hours : "");
            var link = document.createElement("a");
            link.href = box.dataset.detail.replace(/0\/$/, p.id + "/");
            link.textContent = box.dataset.more;
            popup.append(title, address, link);
            marker.bindPopup(popup);
          }
        }).addTo(map);
        if (collection.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
        box.dataset.points = String(collection.features.length);
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
