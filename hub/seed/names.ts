// Generated demo identities (from lists, not real people).
export const FIRST_NAMES = [
  'Jürgen', 'Jörg', 'Sören', 'Björn', 'Günter', 'Käthe', 'Mareike', 'Anja', 'Thomas', 'Lena', 'Maximilian',
  'Sophie', 'Jürgen', 'Hannelore', 'Uwe', 'Doreen', 'Grit', 'Ömer', 'Zoë', 'Lükas', 'Renée', 'Heiko',
  'Ines', 'Franziska', 'Matthias', 'Katrin', 'Dörte', 'Frauke', 'Ralf', 'Yvonne', 'Stefan', 'Agnieszka',
] as const
export const LAST_NAMES = [
  'Müller', 'Schäfer', 'Weiß', 'Groß', 'Krüger', 'Köhler', 'Meißner', 'Schröder', 'Jäger', 'Böhm', 'Fuß',
  'Strauß', 'Hoffmann', 'Schulze', 'Kühn', 'Lößner', 'Würfel', 'Nowak', 'Preuß', 'Hähnel', 'Günther',
  'Seidel', 'Voß', 'Dreßler', 'Rößler', 'Pötschke', 'Mühlberg', 'Förster', 'Wünsche', 'Schmidt',
] as const
export const STREETS = [
  'Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Goethestraße', 'Am Mühlgraben', 'Lößnitzweg',
  'Jüdenstraße', 'Brüderstraße', 'Klosterplatz', 'Weberstraße', 'Straße der Jugend', 'Rosenweg',
  'An der Frauenkirche', 'Büttnerstraße', 'Grüner Graben', 'Fleischerstraße', 'Neißstraße', 'Körnerallee',
] as const
export const PLACES = [
  ['02826', 'Görlitz'], ['02827', 'Görlitz'], ['02828', 'Görlitz'], ['02906', 'Niesky'], ['02894', 'Reichenbach/O.L.'],
  ['02899', 'Ostritz'], ['02923', 'Kodersdorf'], ['02625', 'Bautzen'], ['02763', 'Zittau'], ['01067', 'Dresden'],
  ['02943', 'Weißwasser/O.L.'], ['02829', 'Markersdorf'],
] as const
export const FIRMS = [
  ['Gerüstbau Weiß', 'GmbH'], ['Müller & Söhne Bau', 'GmbH & Co. KG'], ['Café Süßes Eck', 'Einzelunternehmen'],
  ['Straßenbau Jäger', 'KG'], ['Umzüge Köhler', 'e. K.'], ['Fleischerei Preuß', 'OHG'], ['Wohnbau Neiße', 'eG'],
  ['Blumen Größl', 'Einzelunternehmen'], ['Dachdeckerei Rößler', 'GmbH'],
] as const
export const VEHICLES = [
  ['Volkswagen', 'Golf 1.5 TSI'], ['Škoda', 'Octavia Combi'], ['Opel', 'Corsa'], ['BMW', '320d Touring'],
  ['Mercedes-Benz', 'Sprinter 314 CDI'], ['Renault', 'Zoe R135'], ['Ford', 'Fiesta'], ['Dacia', 'Duster'],
] as const
export const GEMARKUNGEN = ['Görlitz', 'Biesnitz', 'Weinhübel', 'Rauschwalde', 'Klingewalde', 'Hagenwerder', 'Schlauroth', 'Ludwigsdorf'] as const
export const TATORTE = [
  'Görlitz, Berliner Straße 12', 'Görlitz, B 99 Höhe Zittauer Straße', 'Görlitz, Postplatz', 'Görlitz, Reichenbacher Straße 40',
  'Görlitz, Am Stadtpark', 'Görlitz, Landeskronstraße',
] as const
export const TATVORWUERFE = [
  'Überschreitung der zulässigen Höchstgeschwindigkeit innerorts um 16 km/h',
  'Parken im absoluten Halteverbot',
  'Parken auf dem Gehweg mit Behinderung',
  'Überschreitung der zulässigen Höchstgeschwindigkeit innerorts um 23 km/h',
  'Missachtung des Rotlichts der Lichtzeichenanlage',
  'Benutzung eines Mobiltelefons während der Fahrt',
] as const
export const VORHABEN = [
  'Neubau eines Einfamilienhauses mit Garage', 'Anbau eines Wintergartens', 'Umbau einer Scheune zu Wohnzwecken',
  'Errichtung eines Carports mit Gerätehaus', 'Nutzungsänderung Laden zu Café', 'Neubau eines Mehrfamilienhauses mit 6 Wohneinheiten',
  'Abbruch eines Nebengebäudes', 'Aufstockung eines Wohnhauses (Dachgeschossausbau)',
] as const
