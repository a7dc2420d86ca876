/* Small progressive enhancements. Every feature here also works without JavaScript
   through plain forms; this file only makes it quicker. No build step, no inline script. */
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.content : "";

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken },
      credentials: "same-origin"
    });
  }

  /* A button whose form carries data-confirm (removing your post) asks first; so does a
     button carrying its own, when only it of its form's buttons needs asking (Decline
     beside Accept), and the chosen option or ticked box of a form whose outcome depends on
     it (a call's phase; removing a bio when clearing a profile). Listening in the capture
     phase, so a "no" stops the send before any other handler sees it. A "yes" goes with the
     form as confirmed=yes: without it (no JavaScript) the server asks on a page of its own
     (forum.forms.ask_first). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var chosen = form.querySelector && form.querySelector("option:checked[data-confirm], input:checked[data-confirm]");
    var question = (button && button.getAttribute("data-confirm")) ||
      (chosen && chosen.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (!question) return;
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      // A "no" to a chosen option puts its menu back as the page gave it (the call's own
      // phase), so the menu does not show a choice that was not made.
      if (chosen && chosen.tagName === "OPTION") {
        Array.prototype.forEach.call(chosen.closest("select").options, function (option) {
          option.selected = option.defaultSelected;
        });
      }
      return;
    }
    if (!form.querySelector('input[name="confirmed"]')) {
      var answer = document.createElement("input");
      answer.type = "hidden"; answer.name = "confirmed"; answer.value = "yes";
      form.appendChild(answer);
    }
  }, true);

  /* Reactions toggle without a page reload. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form")) return;
    // One form holds a button per kind; the pressed one says which.
    var button = event.submitter;
    if (!button || button.name !== "kind") return;
    event.preventDefault();
    // Not `disabled`: a disabled button drops the keyboard focus, and the person's place with it.
    if (form.dataset.busy) return;
    form.dataset.busy = "yes";
    var data = new FormData(form);
    data.set("kind", button.value);
    post(form.action, data).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { refuse(form, result.body.error || "That did not work."); return; }
      var refused = form.nextElementSibling;
      if (refused && refused.classList.contains("reaction-refused")) refused.remove();
      showReactions(form, button, result.body);
      announce(result.body.said || (result.body.active ? "Reaction added" : "Reaction removed"));
    }).catch(function () {
      // Fall back to the plain form: submit() sends no button, so carry the kind along.
      var kind = document.createElement("input");
      kind.type = "hidden"; kind.name = "kind"; kind.value = button.value;
      form.appendChild(kind);
      form.submit();
    })
      .finally(function () { delete form.dataset.busy; });
  });

  // Why a reaction was refused (the post removed meanwhile, too many today), shown under
  // the buttons: said only to the live region, a sighted person saw nothing happen.
  function refuse(form, text) {
    var note = form.nextElementSibling;
    if (!note || !note.classList.contains("reaction-refused")) {
      note = document.createElement("p");
      note.className = "reaction-refused notice";
      note.setAttribute("role", "alert");
      form.insertAdjacentElement("afterend", note);
    }
    note.textContent = text;
  }

  // The server sends the reaction area as the page now shows it (counts, the names in each
  // button's title, "Who reacted"): it takes the old one's place, and the focus stays on the
  // button that was pressed.
  function showReactions(form, button, body) {
    var holder = document.createElement("div");
    holder.innerHTML = body.html || "";
    var fresh = holder.querySelector(".reactions");
    if (!fresh) {
      button.setAttribute("aria-pressed", body.active ? "true" : "false");
      button.classList.toggle("reacted", body.active);
      var count = button.querySelector(".reaction-count");
      if (count) count.textContent = body.count || "";
      return;
    }
    var focused = form.contains(document.activeElement);
    form.replaceWith(fresh);
    var again = fresh.querySelector('button[name="kind"][value="' + button.value + '"]');
    if (focused && again) again.focus();
  }

  /* A polite live region for things that change without a reload. */
  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);
  function announce(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }

  /* Quote: put the selected text (or the whole post) into the reply box on this page. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".quote-link");
    if (!link) return;
    var group = link.closest(".post-group");
    var box = group && group.querySelector(".reply-box textarea");
    if (!box) return; // no reply box on this page: follow the link to the reply page
    event.preventDefault();
    var article = link.closest("article");
    var selection = window.getSelection ? String(window.getSelection()) : "";
    var prose = article.querySelector(".prose");
    function asQuote(text) {
      return "> @" + link.dataset.author + " wrote:\n>\n" +
        text.trim().split("\n").map(function (line) { return ("> " + line).trimEnd(); }).join("\n") + "\n\n";
    }
    function openBox() {
      box.closest("details").open = true;
      showWhole(box);
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
    function put(quoted) {
      box.value = box.value ? box.value + "\n" + quoted : quoted;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      openBox();
    }
    if (selection && prose && prose.contains(window.getSelection().anchorNode)) {
      put(asQuote(selection));
      return;
    }
    // The whole post as it was written, links and emphasis kept, from the page the link
    // leads to without JavaScript (its rules decide what may be quoted); the page's text,
    // which has lost them, only if that fails.
    quotedOnReplyPage(link.href).then(put, function (error) {
      // Taken down since this page was opened: its words stay out, as on the reply page.
      if (error && error.refused) { openBox(); announce(error.refused); return; }
      put(asQuote(prose ? prose.innerText : ""));
    });
  });
  // A box's text fills more than its few rows (a quote put in, a long reply on a phone): only
  // its last lines showed, scrolling inside the box. The box grows to show it whole as it is
  // written, up to most of the screen, past which it scrolls inside; it never shrinks, so a
  // box the person made taller stays so. Its height is set through the CSSOM, which the
  // Content Security Policy allows (a style attribute written in the page it would refuse).
  function showWhole(box) {
    var borders = box.offsetHeight - box.clientHeight;
    var wanted = Math.min(box.scrollHeight + borders, Math.round(window.innerHeight * 0.7));
    if (wanted > box.offsetHeight) box.style.height = wanted + "px";
  }
  function growing(event) {
    if (event.target instanceof HTMLTextAreaElement) showWhole(event.target);
  }
  document.addEventListener("input", growing);
  document.addEventListener("focusin", growing); // a box that was hidden (a closed reply) when its text came
  function quotedOnReplyPage(address) {
    return fetch(address, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("the reply page answered " + response.status);
      return response.text();
    }).then(function (html) {
      var reply = new DOMParser().parseFromString(html, "text/html");
      var refused = reply.querySelector(".quote-refused");
      if (refused) throw { refused: refused.textContent.trim() };
      var box = reply.querySelector("textarea[name=body]");
      if (!box || !box.value.trim()) throw new Error("no quote on the reply page");
      return box.value;
    });
  }

  /* Markdown preview beside every editor. */
  function addPreview(textarea) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button preview-button";
    button.textContent = "Preview";
    var output = document.createElement("div");
    output.className = "preview prose";
    output.hidden = true;
    // A named region, so it is announced and can be found; a bare div may not carry a label.
    output.setAttribute("role", "region");
    output.setAttribute("aria-live", "polite");
    output.setAttribute("aria-label", "Preview");
    textarea.insertAdjacentElement("afterend", output);
    textarea.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("body", textarea.value);
      post("/preview", data).then(function (response) { return response.json(); }).then(function (body) {
        // The server renders with the same sanitiser as a saved post.
        output.innerHTML = body.html || "";
        if (body.error) output.textContent = body.error;
        output.hidden = false;
      }).catch(function () {
        output.textContent = "The preview is not available right now; your text is safe in the box.";
        output.hidden = false;
      });
    });
  }

  /* Drafts stay in this browser until the post goes up; leaving with unsent text asks first. */
  var DRAFTED = ".editor textarea, textarea.editor"; // the boxes whose drafts are kept
  var DRAFT_PREFIX = "forum-draft:";
  // Drafts are kept per person: a session can end without Sign out (it expires, the browser
  // is closed), and the writer should find their words again, not whoever signs in next.
  var OWN_DRAFTS = DRAFT_PREFIX + (document.body.dataset.person || "") + ":";
  var dirty = new Set();
  function draftKey(textarea) {
    // The form's address first: a reply box on a thread and the reply page of the same post
    // send to the same place, so they share one draft (and posting from either forgets it).
    var action = textarea.form && textarea.form.getAttribute("action");
    return OWN_DRAFTS + (action || textarea.dataset.draftKey || location.pathname) + ":" + textarea.name;
  }
  function forgetDrafts(keep) {
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT_PREFIX) === 0 && !(keep && key.indexOf(keep) === 0)) localStorage.removeItem(key);
      });
    } catch (e) { /* ignore */ }
  }
  // Someone else signed in here: the drafts left from the last person's session go.
  if (document.body.dataset.person) forgetDrafts(OWN_DRAFTS);
  // A draft replaces what the page put in the box only when that is a starting text (a
  // response template), not the person's own words sent back with an error, nor a quote.
  function mayReplace(textarea) {
    if (!textarea.value.trim()) return true;
    return textarea.value === textarea.defaultValue && textarea.getAttribute("aria-invalid") !== "true" &&
      !/[?&]quote=/.test(location.search);
  }
  function keepDrafts(textarea) {
    var key = draftKey(textarea);
    try {
      var saved = localStorage.getItem(key);
      if (saved && saved !== textarea.value && mayReplace(textarea)) {
        textarea.value = saved;
        var details = textarea.closest("details");
        if (details) details.open = true;
        sayDraftIsBack(textarea);
      }
    } catch (e) { /* storage may be off; drafts are a convenience */ }
    if (key === sentBack && textarea.value.trim()) dirty.add(textarea);
    textarea.addEventListener("input", function () {
      dirty.add(textarea);
      try { localStorage.setItem(key, textarea.value); } catch (e) { /* ignore */ }
    });
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () {
        dirty.delete(textarea);
        try {
          // Kept until a success message says it went up (below). Written again here: signing
          // out in another tab forgot every draft, and a send that finds them signed out
          // brings them back to this page after signing in, to find their words in the box.
          if (textarea.value.trim()) localStorage.setItem(key, textarea.value);
          sessionStorage.setItem("forum-sent", key);
        } catch (e) { /* ignore */ }
      });
    }
  }
  function discardDraft(textarea) {
    dirty.delete(textarea);
    try { localStorage.removeItem(draftKey(textarea)); } catch (e) { /* ignore */ }
  }
  // A draft put back (the tab was closed, the connection lost) is said beside the box, with a
  // way to discard it: unannounced, it went up with the next save of the rest of the form (a
  // display name) without the person having seen it.
  function sayDraftIsBack(textarea) {
    var note = document.createElement("p");
    note.className = "notice draft-back";
    note.id = (textarea.id || textarea.name) + "-draft-back";
    note.textContent = "Your unsent text from earlier is back in the box. ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = "Discard it";
    note.appendChild(discard);
    textarea.insertAdjacentElement("beforebegin", note);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", described ? note.id + " " + described : note.id);
    discard.addEventListener("click", function () {
      discardDraft(textarea);
      textarea.value = textarea.defaultValue; // what the page gave: the saved text, a template, nothing
      if (described) textarea.setAttribute("aria-describedby", described);
      else textarea.removeAttribute("aria-describedby");
      note.remove();
      textarea.focus();
      announce("Your unsent text is discarded.");
    });
  }
  // Cancel says the person does not want what they typed: after a yes to its question (asked
  // when a box holds words the page did not give it) the draft goes, rather than coming back
  // next time. Leaving any other way (a link, closing the tab) keeps it, announced above.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-discards-draft]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var boxes = Array.from((link.closest("form") || document).querySelectorAll(DRAFTED));
    var unsent = boxes.some(function (box) {
      return box.value.trim() && (dirty.has(box) || box.value !== box.defaultValue);
    });
    if (unsent && !window.confirm(link.getAttribute("data-discards-draft"))) {
      event.preventDefault();
      return;
    }
    boxes.forEach(discardDraft); // no longer unsent: leaving does not ask a second time
  });
  // Signing out forgets every draft: on a shared computer the next person must not find them.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-forget-drafts")) forgetDrafts();
  });
  // A success message after a send means the draft went up: forget it. Without one the send
  // failed (too short, too quick, an expired session) and the box came back with the text:
  // it is still unsent, as if just typed.
  var sentBack = null;
  try {
    var sent = sessionStorage.getItem("forum-sent");
    if (sent && document.querySelector(".flash-success")) localStorage.removeItem(sent);
    else sentBack = sent;
    sessionStorage.removeItem("forum-sent");
  } catch (e) { /* ignore */ }
  window.addEventListener("beforeunload", function (event) {
    var unsent = Array.from(dirty).some(function (t) { return t.value.trim(); });
    if (unsent) { event.preventDefault(); event.returnValue = ""; }
  });

  /* @mention autocomplete: typing @ and letters offers people to mention. */
  function addMentions(textarea) {
    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.id = (textarea.id || "editor") + "-mentions";
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    var active = -1, timer = null, lastQuery = "";
    // A box that writes in a thread is offered only people who can read it.
    // (form.action is the page's own address when the form names none: the edit page.)
    var action = textarea.form ? new URL(textarea.form.action, location.href).pathname : "";
    var where = /^\/(threads|posts)\/(\d+)\/(posts|replies|edit)$/.exec(action);
    var writtenIn = where ? "&" + (where[1] === "threads" ? "thread" : "post") + "=" + where[2] : "";

    function currentWord() {
      var upto = textarea.value.slice(0, textarea.selectionStart);
      // Letters of any alphabet: the people offered are found by display name too ("@Мар").
      var match = /(^|[^\p{L}\p{M}\p{N}_@.])@([\p{L}\p{M}\p{N}_]{1,20})$/u.exec(upto);
      return match ? match[2] : null;
    }
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; textarea.removeAttribute("aria-activedescendant"); }
    function choose(username) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/@[\p{L}\p{M}\p{N}_]*$/u, "@" + username + " ");
      textarea.value = before + textarea.value.slice(caret);
      textarea.setSelectionRange(before.length, before.length);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      textarea.focus();
    }
    // A textarea may not be a combobox, so screen readers read neither the list nor
    // aria-activedescendant on it: the live region says the choices and the one reached.
    function highlight(index, preamble) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (!items[index]) return;
      textarea.setAttribute("aria-activedescendant", items[index].id);
      announce((preamble || "") + items[index].textContent + ", " + (index + 1) + " of " + items.length +
               (preamble ? ". Up and down arrows to choose, Enter to mention, Escape to close." : ""));
    }
    function show(people) {
      list.innerHTML = "";
      people.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.textContent = person.display_name + " @" + person.username;
        item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(person.username); });
        list.appendChild(item);
      });
      list.hidden = people.length === 0;
      if (people.length) highlight(0, people.length + (people.length === 1 ? " person" : " people") + " to mention. ");
    }
    textarea.addEventListener("input", function () {
      var word = currentWord();
      clearTimeout(timer);
      if (!word) { close(); return; }
      timer = setTimeout(function () {
        if (word === lastQuery && !list.hidden) return;
        lastQuery = word;
        fetch("/mentions/suggest?q=" + encodeURIComponent(word) + writtenIn, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { users: [] }; })
          .then(function (body) { if (currentWord() === word) show(body.users || []); })
          .catch(close);
      }, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      var count = list.querySelectorAll("li").length;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % count); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + count) % count); }
      // Enter only, as the WAI-ARIA combobox pattern has it: Tab moves on from the box like
      // from any other, rather than writing a name while leaving (the list closes on blur).
      else if (event.key === "Enter") {
        var item = list.querySelectorAll("li")[active];
        if (item) { event.preventDefault(); choose(item.textContent.split(" @").pop()); }
      } else if (event.key === "Escape") { close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll(DRAFTED).forEach(function (textarea) {
    if (document.body.dataset.signedIn === "yes") { addPreview(textarea); addMentions(textarea); }
    keepDrafts(textarea);
  });
  // Text sent back with an error, or a draft put back: shown whole from the start.
  document.querySelectorAll("textarea").forEach(showWhole);

  /* A form sent back with errors: the focus goes to the first field to fix, which reads
     out its label and its error (aria-describedby), instead of staying at the top of the
     page where a keyboard or screen-reader user hears nothing and a phone shows no error.
     A group of choices (a star rating) has no aria-invalid of its own: its first choice.
     Without a field to point at, to the form's own error message. */
  var FIELD_TO_FIX = '[aria-invalid="true"], .field-invalid input:not([type="hidden"]), ' +
    ".field-invalid select, .field-invalid textarea";
  function focusFirstError() {
    var main = document.getElementById("main");
    var target = main && (main.querySelector(FIELD_TO_FIX) || main.querySelector(".form-errors"));
    if (!target) return;
    var details = target.closest("details");
    if (details) details.open = true;
    if (!target.matches("input, textarea, select, button")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
  focusFirstError();

  /* A send that comes back at a post (a flag, a reply) lands far down the page, and its
     message ("Thank you. A moderator will look at it") sits at the top, where a phone never
     scrolls: it goes just above the post it is about, on the screen. Without JavaScript it
     stays at the top. */
  function flashesBesideTarget() {
    var flashes = document.querySelector("#main > .flashes");
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!flashes || !target || !target.closest("#main")) return;
    if (/^(UL|OL)$/.test(target.parentNode.nodeName)) target.insertBefore(flashes, target.firstChild);
    else target.parentNode.insertBefore(flashes, target);
    // The browser scrolls to the post once the page has loaded: show the message above it then.
    function show() { flashes.scrollIntoView({ block: "start" }); }
    if (document.readyState === "complete") show();
    else window.addEventListener("load", function () { setTimeout(show, 0); });
  }
  flashesBesideTarget();

  /* The time zone in the settings: a button offers the zone this device is set to, when the
     list has it and another is chosen, and saves it in one click. Without JavaScript the
     list and its Save button alone. */
  document.querySelectorAll("[data-device-zone]").forEach(function (button) {
    var select = button.form && button.form.querySelector("select");
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
    if (!select || !zone || select.value === zone) return;
    var option = Array.from(select.options).find(function (o) { return o.value === zone; });
    if (!option) return;
    button.textContent = "Use this device's time zone: " + option.textContent;
    button.closest(".device-zone").hidden = false;
    button.addEventListener("click", function () { select.value = zone; button.form.requestSubmit(); });
  });
})();
