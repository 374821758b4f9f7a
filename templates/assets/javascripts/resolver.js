// The browser twin of scraper/search/resolve.py: the same lookup over the same index
// (docs/assets/search-index.json, written by scraper.search.search_index.write_index).
// Every function mirrors the Python function of the same name (camelCased here);
// change both or neither.  tests/test_resolver_twin.py runs both on thousands of
// texts in Chromium and requires identical answers, step by step.  No
// dependencies, no build step; the tuning, the word weights and the regular
// expressions come in the index.
//
//   ErrorResolver.load(indexObject);
//   ErrorResolver.resolve("APIError(code=-1013): Filter failure: LOT_SIZE")
//   // -> {code: -1013, name: "LOT_SIZE", kind: "filter", message: "Filter failure: LOT_SIZE",
//   //     path: "filters/lot-size/", codes: [-1013]}   (null when nothing is recognised)
(function (root) {
  "use strict";

  var INDEX_FORMAT = 7;

  // --- words -------------------------------------------------------------------

  // Explicit classes, as in Python: \s, \d and \w differ between the two languages.
  // The regular expressions come in the index (index.patterns, written by
  // scraper/search/search_index.py from the Python ones): one spelling for both twins.
  var WHITESPACE_RE, JSON_ESCAPE_RE, QUOTES_RE, PLACEHOLDER_RE, WORD_RE, TOKEN_RE, PHRASE_TOKEN_RE, DIGITS_RE;
  var HTTP_RES = [];
  var CODE_CONTEXT_RE, CJK_CODE_BEFORE_RE, CJK_CODE_AFTER_RE, SIGNED_RE, ONLY_NUMBER_RE, FILTER_FAILURE_RE, MESSAGE_FIELD_RE, FIELD_END_RE, LEADING_NOISE_RE;

  // Flags are the only part that is JavaScript's: "g" where every match is wanted.
  function loadPatterns(p) {
    WHITESPACE_RE = new RegExp(p.whitespace, "g");
    JSON_ESCAPE_RE = new RegExp(p.json_escape, "g");
    QUOTES_RE = new RegExp(p.quotes, "g");
    WORD_RE = new RegExp(p.word, "g");
    PLACEHOLDER_RE = new RegExp(p.placeholder);
    TOKEN_RE = new RegExp(p.token, "g");
    PHRASE_TOKEN_RE = new RegExp(p.phrase_token, "g");
    DIGITS_RE = new RegExp(p.digits);
    CODE_CONTEXT_RE = new RegExp(p.code_context, "g");
    HTTP_RES = [p.http_context, p.http_reason, p.http_request, p.http_only].map(function (source) { return new RegExp(source, "g"); });
    CJK_CODE_BEFORE_RE = new RegExp(p.cjk_code_before, "g");
    CJK_CODE_AFTER_RE = new RegExp(p.cjk_code_after, "g");
    SIGNED_RE = new RegExp(p.signed, "g");
    ONLY_NUMBER_RE = new RegExp(p.only_number);
    FILTER_FAILURE_RE = new RegExp(p.filter_failure, "g");
    MESSAGE_FIELD_RE = new RegExp(p.message_field);
    FIELD_END_RE = new RegExp(p.field_end, "g");
    LEADING_NOISE_RE = new RegExp(p.leading_noise);
  }

  function normalize(text) {
    text = text.replace(JSON_ESCAPE_RE, function (_, hex) {
      return String.fromCharCode(parseInt(hex, 16));
    });
    text = text.normalize("NFKC");
    text = text.split("\\'").join("'").split('\\"').join('"');
    text = text.replace(QUOTES_RE, "'");
    text = text.replace(WHITESPACE_RE, " ").replace(/^ +| +$/g, "");
    return text.toLowerCase();
  }

  function stem(word) {
    var n = word.length;
    if (n > 5 && word.slice(-3) === "ing") return word.slice(0, -3);
    if (n > 4 && word.slice(-2) === "ed") return word.slice(0, -2);
    if (n > 3 && word.slice(-1) === "s" && word.slice(-2) !== "ss") return word.slice(0, -1);
    return word;
  }

  function stripUnderscores(word) {
    return word.replace(/^_+|_+$/g, "");
  }

  // Python's _word_tokens: a run of ideographs as its overlapping pairs, a word stemmed.
  function pushWordTokens(result, raw) {
    if (raw[0] > "z") {
      if (raw.length === 1) result.push(raw);
      for (var j = 0; j + 1 < raw.length; j++) result.push(raw.slice(j, j + 2));
      return;
    }
    var word = stripUnderscores(raw);
    if (word) result.push(word.indexOf("_") >= 0 ? word : stem(word));
  }

  function words(normalized) {
    var result = [];
    var raw = normalized.match(TOKEN_RE) || [];
    for (var i = 0; i < raw.length; i++) pushWordTokens(result, raw[i]);
    return result;
  }

  // words(), with one "|" wherever punctuation ends a phrase.
  function phraseWords(normalized) {
    var result = [];
    var raw = normalized.match(PHRASE_TOKEN_RE) || [];
    for (var i = 0; i < raw.length; i++) {
      if (raw[i].search(TOKEN_RE) !== 0) {
        if (result.length && result[result.length - 1] !== "|") result.push("|");
        continue;
      }
      pushWordTokens(result, raw[i]);
    }
    return result;
  }

  // Python's message_items(): the words of a message, null where upstream's %s, %d or {param} stands.
  function messageItems(plain) {
    var items = [];
    plain.split(PLACEHOLDER_RE).forEach(function (piece, i) {
      if (i) items.push(null);
      items.push.apply(items, words(normalize(piece)));
    });
    return items;
  }

  function keywords(sequence) {
    var seen = new Set();
    var result = [];
    for (var i = 0; i < sequence.length; i++) {
      var word = sequence[i];
      if (word && word.length > 1 && !DIGITS_RE.test(word) && !seen.has(word)) {
        seen.add(word);
        result.push(word);
      }
    }
    return result;
  }

  function typoEligible(word, minLength) {
    return word.length >= minLength && !/[0-9_]/.test(word);
  }

  function deletions(word) {
    var result = [word];
    for (var i = 0; i < word.length; i++) result.push(word.slice(0, i) + word.slice(i + 1));
    return result;
  }

  function itemsPattern(items, placeholderWords) {
    var slot = "(?: [^ ]+){0," + placeholderWords + "}?";
    var source = "";
    for (var i = 0; i < items.length; i++) source += items[i] ? " " + items[i] : slot;
    return source + "(?= )";
  }

  function wholePhrasePattern(items, placeholderWords) {
    var slot = "(?: [^ ]+){0," + placeholderWords + "}?";
    var parts = items.map(function (item) { return item ? " " + item : slot; });
    return parts.join("(?: \\|)*") + "(?= \\| | $)";
  }

  // --- code evidence ---------------------------------------------------------------


  function codeEvidence(c, sign, digits, end) {
    var number = parseInt(digits, 10);
    if (!sign && number >= 100 && number <= 599) return null; // an HTTP status, never an API code
    var value = sign ? -number : number;
    if (c.codes.has(String(value))) return { value: value, known: true, end: end };
    if (value > 0 && c.codes.has(String(-value))) return { value: -value, known: true, end: end };
    return { value: value, known: false, end: end };
  }

  function findCode(c, text) {
    var groups = [[], [], []];
    var m;
    [CODE_CONTEXT_RE, CJK_CODE_BEFORE_RE, CJK_CODE_AFTER_RE].forEach(function (pattern) {
      for (var found of text.matchAll(pattern)) groups[0].push(codeEvidence(c, found[1], found[2], found.index + found[0].length));
    });
    for (m of text.matchAll(SIGNED_RE)) groups[1].push(codeEvidence(c, "-", m[1], m.index + m[0].length));
    m = text.match(ONLY_NUMBER_RE);
    if (m) groups[2].push(codeEvidence(c, m[1], m[2], m.index + m[0].length));
    for (var g = 0; g < groups.length; g++) {
      var found = groups[g].filter(function (e) { return e !== null; });
      if (found.length) {
        for (var i = 0; i < found.length; i++) if (found[i].known) return found[i];
        return found[0];
      }
    }
    return null;
  }

  function segments(text, code) {
    var found = [text];
    var field = text.match(MESSAGE_FIELD_RE);
    if (field) found.push(field[1]);
    if (code !== null) found.push(text.slice(code.end));
    var result = [];
    for (var i = 0; i < found.length; i++) {
      var segment = found[i].replace(LEADING_NOISE_RE, "");
      FIELD_END_RE.lastIndex = 1;
      var end = FIELD_END_RE.exec(segment);
      if (end) segment = segment.slice(0, end.index);
      if (segment && result.indexOf(segment) < 0) result.push(segment);
    }
    return result;
  }

  // --- the compiled index ------------------------------------------------------------

  function toMap(object) {
    var map = new Map();
    Object.keys(object).forEach(function (key) { map.set(key, object[key]); });
    return map;
  }

  function compile(index) {
    if (!index || index.format !== INDEX_FORMAT) {
      throw new Error("search index format " + (index && index.format) + ", expected " + INDEX_FORMAT);
    }
    loadPatterns(index.patterns);
    var c = {
      index: index,
      tuning: index.tuning,
      weights: toMap(index.weights), // Maps, not objects: a pasted "constructor" must not find Object.prototype
      codes: toMap(index.codes),
      names: toMap(index.names),
      entries: index.entries, // [page, text]
      items: index.entries.map(function (entry) { return messageItems(entry[1]); }),
      wholeOnlyFrom: index.whole_only_from,
      wholePatterns: [],
      patterns: [],
      keywords: [],
      sizes: [],
      totals: [],
      postings: new Map(),
      typos: new Map(),
    };
    c.entries.forEach(function (entry, i) {
      var items = c.items[i];
      c.patterns.push(new RegExp(itemsPattern(items, c.tuning.placeholder_words)));
      c.wholePatterns.push(i >= c.wholeOnlyFrom ? new RegExp(wholePhrasePattern(items, c.tuning.placeholder_words)) : null);
      var found = keywords(items);
      c.keywords.push(found);
      c.sizes.push(found.length);
      var total = 0;
      found.forEach(function (word) {
        total += c.weights.get(word);
        if (!c.postings.has(word)) c.postings.set(word, []);
        c.postings.get(word).push(i);
      });
      c.totals.push(total);
    });
    c.weights.forEach(function (_, word) {
      if (!typoEligible(word, c.tuning.typo_min_length)) return;
      deletions(word).forEach(function (variant) {
        if (!c.typos.has(variant)) c.typos.set(variant, []);
        c.typos.get(variant).push(word);
      });
    });
    // Names one typo away (LOT_SZE, INVALID_MESAGE): the same spellings with one letter dropped.
    c.nameTypos = new Map();
    c.longestName = 0;
    Object.keys(index.names).forEach(function (name) {
      c.longestName = Math.max(c.longestName, name.length);
      if (name.length < c.tuning.typo_min_length) return;
      deletions(name).forEach(function (variant) {
        if (!c.nameTypos.has(variant)) c.nameTypos.set(variant, []);
        c.nameTypos.get(variant).push(name);
      });
    });
    // Messages other products send under a Spot number (futures' -2021 "Order would immediately trigger.").
    c.reused = new Map();
    Object.keys(index.others.reused).forEach(function (code) {
      c.reused.set(code, index.others.reused[code].map(function (variant) {
        return [variant[0], new RegExp(itemsPattern(messageItems(variant[1]), c.tuning.placeholder_words))];
      }));
    });
    c.otherCodes = toMap(index.others.codes);
    c.http = toMap(index.statuses.http);
    c.streams = toMap(index.statuses.streams);
    // Their own codes' messages, whole and ending a phrase, found through their first keyword.
    c.foreign = new Map();
    index.others.messages.forEach(function (message) {
      var items = messageItems(message[1]);
      var found = keywords(items);
      if (!c.foreign.has(found[0])) c.foreign.set(found[0], []);
      c.foreign.get(found[0]).push([message[0], found, new RegExp(wholePhrasePattern(items, c.tuning.placeholder_words))]);
    });
    return c;
  }

  function vocabularyOf(c, word) {
    if (c.weights.has(word)) return [word];
    if (!typoEligible(word, c.tuning.typo_min_length)) return [];
    var found = [];
    deletions(word).forEach(function (variant) {
      (c.typos.get(variant) || []).forEach(function (known) {
        if (found.indexOf(known) < 0) found.push(known);
      });
    });
    return found;
  }

  // Python's respelled(): one typo from exactly one index word is that word; two words joined into one are it.
  function respelled(c, sequence) {
    var out = [];
    var i = 0;
    while (i < sequence.length) {
      var word = sequence[i];
      if (i + 1 < sequence.length && !c.weights.has(word) && c.weights.has(word + sequence[i + 1])) {
        out.push(word + sequence[i + 1]);
        i += 2;
        continue;
      }
      var options = vocabularyOf(c, word);
      out.push(options.length === 1 ? options[0] : word);
      i += 1;
    }
    return out;
  }

  // --- scoring ------------------------------------------------------------------------

  // Python's Scored.strength(): the tuple (exact, recall * matched, recall).
  function compareStrength(a, b) {
    if (a.exact !== b.exact) return a.exact ? 1 : -1;
    var x = a.recall * a.matched, y = b.recall * b.matched;
    if (x !== y) return x > y ? 1 : -1;
    if (a.recall !== b.recall) return a.recall > b.recall ? 1 : -1;
    return 0;
  }

  // Python's Scored.key(): strength, then the earlier entry.
  function compareKeys(a, b) {
    return compareStrength(a, b) || b.entry - a.entry;
  }

  // Returns {accepted: the messages found (every scored one with `everything`), touched: partial candidates}.
  function scoreEntries(c, text, everything) {
    var sequence = words(text);
    var fixed = respelled(c, sequence);
    var present = [];
    var seen = new Set();
    keywords(sequence.concat(fixed)).forEach(function (word) {
      vocabularyOf(c, word).forEach(function (known) {
        if (!seen.has(known)) {
          seen.add(known);
          present.push(known);
        }
      });
    });
    var weight = new Map(), count = new Map();
    present.forEach(function (word) {
      var w = c.weights.get(word);
      c.postings.get(word).forEach(function (i) {
        if (weight.has(i)) {
          weight.set(i, weight.get(i) + w);
          count.set(i, count.get(i) + 1);
        } else {
          weight.set(i, w);
          count.set(i, 1);
        }
      });
    });
    var spaced = " " + sequence.join(" ") + " ";
    var fixedSpaced = fixed.join(" ") !== sequence.join(" ") ? " " + fixed.join(" ") + " " : null;
    var tuning = c.tuning;
    var accepted = [], touched = [];
    var phrased = null;
    Array.from(weight.keys()).sort(function (a, b) { return a - b; }).forEach(function (i) {
      var size = c.sizes[i], n = count.get(i);
      var wholeOnly = i >= c.wholeOnlyFrom;
      var recall = weight.get(i) / c.totals[i];
      var share = n / size;
      var exact = n === size && c.patterns[i].test(spaced);
      if (exact && wholeOnly) {
        if (phrased === null) phrased = " " + phraseWords(text).join(" ") + " ";
        exact = c.wholePatterns[i].test(phrased);
      }
      var respelledWhole = !exact && !wholeOnly && n === size && fixedSpaced !== null && c.patterns[i].test(fixedSpaced);
      var near = recall >= tuning.recall && share >= tuning.share && n >= tuning.near_words && !wholeOnly;
      var found = exact || respelledWhole || near;
      if (found || everything) {
        accepted.push({ entry: i, recall: recall, share: share, matched: weight.get(i), count: n, exact: exact, found: found });
      }
      if (n * 2 >= tuning.partial_words && !wholeOnly) touched.push(i);
    });
    return { accepted: accepted, touched: touched };
  }

  function best(c, scored, pages, kinds) {
    var found = null;
    scored.forEach(function (s) {
      var page = c.entries[s.entry][0];
      if (!s.found || (pages && pages.indexOf(page) < 0)) return;
      if (kinds && kinds.indexOf(c.index.pages[page].kind) < 0) return;
      if (found === null || compareKeys(s, found) > 0) found = s;
    });
    return found;
  }

  function compareTuples(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i] ? 1 : -1;
    return 0;
  }

  function longestRun(sequence, items) {
    var bestRun = [0, 0];
    var zero = [0, 0];
    var previous = new Array(items.length + 1).fill(zero);
    sequence.forEach(function (word) {
      var current = new Array(items.length + 1).fill(zero);
      items.forEach(function (item, j) {
        var before = previous[j];
        var run;
        if (item === null) run = [before[0], before[1] + 1];
        else if (item === word) run = [before[0] + 1, before[1] + 1];
        else return;
        current[j + 1] = run;
        if (compareTuples(run, bestRun) > 0) bestRun = run;
      });
      previous = current;
    });
    return bestRun;
  }

  function bestPartial(c, parts, touched, pages, kinds) {
    var found = null;
    parts.forEach(function (part) {
      var sequence = words(part);
      if (!sequence.length) return;
      var present = new Set(sequence);
      touched.forEach(function (i) {
        var page = c.entries[i][0];
        if ((pages || kinds) && !((pages && pages.indexOf(page) >= 0) || (kinds && kinds.indexOf(c.index.pages[page].kind) >= 0))) return;
        var items = c.items[i];
        // Bounds before the quadratic run: a run is no longer than the message, and matches only its words present.
        if (items.length / sequence.length < c.tuning.partial_coverage) return;
        if (items.filter(function (item) { return item !== null && present.has(item); }).length < c.tuning.partial_words) return;
        var run = longestRun(sequence, items);
        var coverage = run[1] / sequence.length;
        if (run[0] < c.tuning.partial_words || coverage < c.tuning.partial_coverage) return;
        var candidate = [run[0], coverage, -i];
        if (found === null || compareTuples(candidate, found) > 0) found = candidate;
      });
    });
    return found ? -found[2] : null;
  }

  // --- answers ---------------------------------------------------------------------------

  function match(c, pageNumber, code, message) {
    var page = c.index.pages[pageNumber];
    var codes = page.codes.slice();
    if (code === null && codes.length === 1) code = codes[0];
    if (code !== null && codes.indexOf(code) < 0) codes = [code];
    var name;
    if (page.kind === "http" || page.kind === "ws-stream" || page.kind === "reasons") {
      return { code: null, name: page.name, kind: page.kind, message: page.text, path: page.path, codes: [], products: [] };
    }
    if (page.kind === "code") {
      name = page.name;
    } else if (page.kind === "filter") {
      name = page.name;
      message = page.text;
    } else {
      var codePage = code !== null && c.codes.has(String(code)) ? c.codes.get(String(code)) : null;
      name = codePage !== null ? c.index.pages[codePage].name : null;
      message = page.text;
    }
    return { code: code, name: name, kind: page.kind, message: message, path: page.path, codes: codes, products: [] };
  }

  // Python's http_status.http_page(): a status number where clients print one, else a phrase naming it.
  function httpPage(c, text) {
    var http = c.http;
    if (http.size === 0) return null;
    for (var p = 0; p < HTTP_RES.length; p++) {
      for (var found of text.matchAll(HTTP_RES[p])) {
        var number = found[1];
        var key = http.has(number) ? number : http.has(number[0] + "xx") ? number[0] + "xx" : null;
        if (key !== null) return http.get(key);
      }
    }
    var spaced = " " + words(text).join(" ") + " ";
    var phrases = c.index.statuses.phrases;
    for (var i = 0; i < phrases.length; i++) {
      if (spaced.indexOf(" " + phrases[i][0] + " ") >= 0) return http.get(phrases[i][1]);
    }
    return null;
  }

  // Python's http_status.stream_page(): a stream code with a word its messages start with.
  function streamPage(c, text, code) {
    var key = String(code.value);
    if (!c.streams.has(key)) return null;
    var found = new Set(words(text));
    var fits = (c.index.statuses.stream_words[key] || []).some(function (word) { return found.has(word); });
    return fits ? c.streams.get(key) : null;
  }

  function otherProductMatch(c, code, products) {
    var names = products.map(function (p) { return c.index.others.products[p][0]; });
    return { code: code, name: null, kind: "other-product", message: null, path: null, codes: [], products: names };
  }

  function otherProduct(c, code) {
    var products = c.otherCodes.get(String(code));
    if (!(products && products.length) && code > 0) {
      code = -code;
      products = c.otherCodes.get(String(code));
    }
    return products && products.length ? otherProductMatch(c, code, products) : null;
  }

  function reusedProduct(c, text, code) {
    var spaced = " " + words(text).join(" ") + " ";
    var variants = c.reused.get(String(code)) || [];
    for (var i = 0; i < variants.length; i++) {
      if (variants[i][1].test(spaced)) return otherProductMatch(c, code, variants[i][0]);
    }
    return null;
  }

  function filterPage(c, text) {
    for (var m of text.matchAll(FILTER_FAILURE_RE)) {
      var key = m[1].toUpperCase();
      if (c.names.has(key) && c.index.pages[c.names.get(key)].kind === "filter") return c.names.get(key);
    }
    return null;
  }

  // Runs of four, three and two words, longest first, joined as a name is spelled ("Price Filter").
  function wordRuns(found) {
    var runs = [];
    [4, 3, 2].forEach(function (size) {
      for (var i = 0; i + size <= found.length; i++) runs.push(found.slice(i, i + size).join("_"));
    });
    return runs;
  }

  function namePage(c, text, kinds) {
    var found = (text.match(WORD_RE) || []).map(stripUnderscores);
    var candidates = found.filter(function (word) { return word.indexOf("_") >= 0 || found.length === 1; });
    if (found.length > 1) candidates.push(found.join("_"));
    for (var i = 0; i < candidates.length; i++) {
      var key = candidates[i].toUpperCase();
      if (c.names.has(key) && kinds.indexOf(c.index.pages[c.names.get(key)].kind) >= 0) return c.names.get(key);
    }
    // Then a filter named in words anywhere ("Failure : Price Filter"): filter names are not prose.
    if (kinds.indexOf("filter") >= 0) {
      var runs = wordRuns(found);
      for (var r = 0; r < runs.length; r++) {
        var run = runs[r].toUpperCase();
        if (c.names.has(run) && c.index.pages[c.names.get(run)].kind === "filter") return c.names.get(run);
      }
    }
    // Failing that, a name with an underscore one typo away (LOT_SZE), when only one name is.
    for (var j = 0; j < candidates.length; j++) {
      var word = candidates[j];
      // a word longer than any name plus one letter is no name (a long paste joins to one huge "word")
      if (word.indexOf("_") < 0 || word.length < c.tuning.typo_min_length || word.length > c.longestName + 1) continue;
      var near = [];
      deletions(word.toUpperCase()).forEach(function (variant) {
        (c.nameTypos.get(variant) || []).forEach(function (name) {
          if (near.indexOf(name) < 0) near.push(name);
        });
      });
      if (near.length === 1) {
        var page = c.names.get(near[0]);
        if (kinds.indexOf(c.index.pages[page].kind) >= 0) return page;
      }
    }
    return null;
  }

  var ROWS = ["message", "filter"];

  function resolveWithCode(c, text, code) {
    var scores = scoreEntries(c, text, false);
    var ownPage = c.codes.get(String(code.value));
    var own = best(c, scores.accepted, [ownPage], null);
    var row = best(c, scores.accepted, null, ROWS);
    if (row !== null && own !== null && compareStrength(row, own) <= 0) row = null; // the code's own message fits as well
    if (own === null || !own.exact) {
      // no Spot wording of this code is in the text whole, and a row only nearly or under other codes
      var rowFits = row !== null && row.exact && c.index.pages[c.entries[row.entry][0]].codes.indexOf(code.value) >= 0;
      var other = rowFits ? null : reusedProduct(c, text, code.value);
      if (other !== null) return other;
    }
    var strongest = row || own;
    if (strongest === null || !strongest.exact) {
      var entry = bestPartial(c, segments(text, code), scores.touched, [ownPage], ROWS);
      if (entry !== null) {
        var message = c.entries[entry][0] === ownPage ? c.entries[entry][1] : null;
        return match(c, c.entries[entry][0], code.value, message);
      }
    }
    if (row !== null) return match(c, c.entries[row.entry][0], code.value, null);
    var page = namePage(c, text, ["filter"]);
    if (page !== null) return match(c, page, code.value, null);
    return match(c, ownPage, code.value, own ? c.entries[own.entry][1] : null);
  }

  // Python's foreign_message(): the code of another product whose message the text holds whole.
  function foreignMessage(c, text) {
    var sequence = words(text);
    var present = new Set(sequence);
    var phrased = null;
    var found = keywords(sequence);
    for (var k = 0; k < found.length; k++) {
      var candidates = c.foreign.get(found[k]) || [];
      for (var j = 0; j < candidates.length; j++) {
        var candidate = candidates[j];
        if (!candidate[1].every(function (item) { return present.has(item); })) continue;
        if (phrased === null) phrased = " " + phraseWords(text).join(" ") + " ";
        if (candidate[2].test(phrased)) return candidate[0];
      }
    }
    return null;
  }

  // Python's only_page_of_words(): a short text whose every word is in the messages of one page only.
  function onlyPageOfWords(c, text) {
    var found = keywords(respelled(c, words(text)));
    if (found.length < 2 || found.length >= c.tuning.near_words) return null;
    if (found.some(function (word) { return !c.postings.has(word); })) return null;
    var entries = c.postings.get(found[0]).filter(function (i) {
      return i < c.wholeOnlyFrom && found.every(function (word) { return c.postings.get(word).indexOf(i) >= 0; });
    });
    var pages = new Set(entries.map(function (i) { return c.entries[i][0]; }));
    return pages.size === 1 ? Math.min.apply(null, entries) : null;
  }

  function resolveWithoutCode(c, text) {
    var scores = scoreEntries(c, text, false);
    var found = best(c, scores.accepted, null, null);
    if (found === null || !found.exact) {
      var foreign = foreignMessage(c, text); // another product's message, whole: better than most of a Spot one
      if (foreign !== null) return otherProduct(c, foreign);
    }
    var entry = null;
    if (found === null || !found.exact) entry = bestPartial(c, segments(text, null), scores.touched, null, null);
    if (entry === null && found !== null) entry = found.entry;
    if (entry === null) entry = onlyPageOfWords(c, text);
    if (entry !== null) return match(c, c.entries[entry][0], null, c.entries[entry][1]);
    var page = namePage(c, text, ["code", "filter"]);
    return page !== null ? match(c, page, null, null) : null;
  }

  var compiled = null;

  function resolve(text) {
    if (compiled === null) throw new Error("ErrorResolver.load(index) first");
    var c = compiled;
    text = normalize(String(text));
    if (!text) return null;
    var code = findCode(c, text);
    if (code !== null && !code.known) {
      var stream = streamPage(c, text, code); // {"code": 2, "msg": "Invalid request: …"}: the streams' own codes
      if (stream !== null) return match(c, stream, null, null);
      var other = otherProduct(c, code.value);
      if (other !== null) return other;
      var status = httpPage(c, text); // the 451 body's "code": 0
      if (status !== null) return match(c, status, null, null);
      return { code: code.value, name: null, kind: "not-found", message: null, path: null, codes: [], products: [] };
    }
    var page = filterPage(c, text);
    if (page !== null) return match(c, page, code ? code.value : null, null);
    if (code !== null) return resolveWithCode(c, text, code);
    var found = resolveWithoutCode(c, text);
    if (found !== null) return found;
    var byStatus = httpPage(c, text); // no Spot message or name: an HTTP status, if the text names one
    return byStatus !== null ? match(c, byStatus, null, null) : null;
  }

  function load(index) {
    compiled = compile(index);
  }

  var loading = {}; // url -> promise: two scripts on one page fetch the index once

  function loadUrl(url) {
    if (!loading[url]) {
      loading[url] = fetch(url)
        .then(function (response) {
          if (!response.ok) throw new Error(url + ": HTTP " + response.status);
          return response.json();
        })
        .then(load);
    }
    return loading[url];
  }

  // `internals` lets the twin test compare each step with Python's, not just the final answers.
  var internals = {
    normalize: normalize,
    words: words,
    phraseWords: phraseWords,
    keywords: keywords,
    findCode: function (text) { return findCode(compiled, text); },
    segments: segments,
  };
  // What the page calls each kind of match: labels travel in the index, as patterns do.
  function labels() {
    if (compiled === null) throw new Error("ErrorResolver.load(index) first");
    return compiled.index.labels;
  }
  // Another product's name and error page, by the key a match's products carry.
  function product(key) {
    if (compiled === null) throw new Error("ErrorResolver.load(index) first");
    var found = compiled.index.others.products.filter(function (p) { return p[0] === key; })[0];
    return found ? { key: found[0], name: found[1], url: found[2] } : null;
  }
  // The day upstream's error page was read (YYYY-MM-DD), or null: a code newer than that is not in the index.
  function asOf() {
    if (compiled === null) throw new Error("ErrorResolver.load(index) first");
    return compiled.index.as_of;
  }

  var api = { load: load, loadUrl: loadUrl, resolve: resolve, labels: labels, asOf: asOf, product: product, internals: internals };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (root) root.ErrorResolver = api;
})(typeof window !== "undefined" ? window : null);
