/*
 * Live forum pages. The pages work without this script; with it, new posts,
 * edits and hides appear without reloading, and the thread list shows new
 * activity. Configuration comes from data- attributes (no inline script).
 *
 * Fragments arrive rendered and sanitised by the server (the same HTML the page
 * itself shows); they are inserted as HTML. Everything else (names, notices) is
 * set with textContent.
 *
 * When the connection drops, it reconnects with exponential backoff and asks the
 * server for every post after the last one it has, so nothing is lost; posts are
 * keyed by id, so nothing appears twice.
 */
(function () {
  "use strict";

  var PING_INTERVAL = 25000;
  var MAX_DELAY = 30000;
  var FATAL_CODES = [4003, 4009, 1008, 1009];
  var lang = (document.documentElement.lang || "nl").toLowerCase();

  /* Fragments and notices come in every interface language: take the page's. */
  function pickHtml(html) {
    if (typeof html === "string") return html;
    if (!html) return "";
    return html[lang] || html[lang.split("-")[0]] || html.nl || Object.values(html)[0] || "";
  }

  /* A notice for the reader from the server (e.g. why it closed the connection).
     Only those come translated; the plain-string errors are protocol errors for
     a script's developer and are not shown. */
  function readerNotice(data) {
    if (data.type !== "error" || !data.error || typeof data.error !== "object") return "";
    return pickHtml(data.error);
  }

  /* The socket address for a path, on the page's own host (wss behind https). */
  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = pickHtml(html).trim();
    return template.content.firstElementChild;
  }

  /* A lifecycle operation changed where this content lives: a merge or split
     moved it ("content_moved"), or its community was dissolved
     ("community_archived"). Put a notice with a link (the new place, or the
     archive's page with date and reason) into the page's always present, empty
     live region, so it is seen and read out. The address must be on this site. */
  function showLifecycleNotice(root, data) {
    var region = root.querySelector("[data-forum-moved]");
    if (!region || typeof data.url !== "string") return;
    var target;
    try { target = new URL(data.url, window.location.href); } catch (error) { return; }
    if (target.origin !== window.location.origin) return;
    var archived = data.type === "community_archived";
    var notice = document.createElement("p");
    notice.className = "notice notice--moved";
    var link = document.createElement("a");
    link.href = target.pathname + target.search + target.hash;
    link.textContent = archived ? root.dataset.labelArchivedLink : root.dataset.labelMovedLink;
    notice.append((archived ? root.dataset.labelArchived : root.dataset.labelContentMoved) + " ", link);
    region.replaceChildren(notice);
    if (archived) {
      var form = root.querySelector("[data-forum-reply]");
      if (form) form.hidden = true;
    }
  }

  function announce(region, text) {
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* A websocket that reconnects with exponential backoff (with jitter). */
  function LiveSocket(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.attempt = 0;
    this.paused = false;
    this.stopped = false;
    this.opens = 0;
    this.socket = null;
    this.pingTimer = null;
    this.retryTimer = null;
    this.connect();
  }

  LiveSocket.prototype.connect = function () {
    var self = this;
    if (self.stopped || self.paused) return;
    var socket;
    try {
      socket = new WebSocket(self.url);
    } catch (error) {
      self.scheduleRetry();
      return;
    }
    self.socket = socket;
    socket.addEventListener("open", function () {
      var reconnect = self.opens > 0;
      self.opens += 1;
      self.attempt = 0;
      self.pingTimer = window.setInterval(function () { self.send({ type: "ping" }); }, PING_INTERVAL);
      self.handlers.open(reconnect);
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      self.handlers.message(data);
    });
    socket.addEventListener("close", function (event) {
      window.clearInterval(self.pingTimer);
      if (self.socket !== socket) return;
      self.socket = null;
      if (FATAL_CODES.indexOf(event.code) !== -1) {
        self.stopped = true;
        self.handlers.closed(true);
        return;
      }
      self.handlers.closed(false);
      self.scheduleRetry();
    });
  };

  LiveSocket.prototype.scheduleRetry = function () {
    var self = this;
    if (self.stopped || self.paused) return;
    var delay = Math.min(MAX_DELAY, 500 * Math.pow(2, self.attempt));
    delay = delay / 2 + Math.random() * delay / 2;
    self.attempt += 1;
    window.clearTimeout(self.retryTimer);
    self.retryTimer = window.setTimeout(function () { self.connect(); }, delay);
  };

  LiveSocket.prototype.send = function (message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  };

  /* Test hooks: drop the connection and keep it down until resumed. */
  LiveSocket.prototype.pause = function () {
    this.paused = true;
    window.clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close();
  };

  LiveSocket.prototype.resume = function () {
    this.paused = false;
    this.connect();
  };

  LiveSocket.prototype.isOpen = function () {
    return !!(this.socket && this.socket.readyState === WebSocket.OPEN);
  };

  /* --- thread page ------------------------------------------------------- */

  function ThreadPage(root) {
    this.root = root;
    this.container = root.querySelector("[data-forum-posts]");
    this.status = root.querySelector("[data-forum-status]");
    this.connection = root.querySelector("[data-forum-connection]");
    this.newer = root.querySelector("[data-forum-newer]");
    this.userId = root.dataset.userId || "";
    this.canModerate = root.dataset.canModerate === "true";
    this.isLastPage = root.dataset.lastPage === "true";
    this.communityId = root.dataset.communityId;
    this.sinceUrl = root.dataset.sinceUrl;
    this.lastId = parseInt(root.dataset.lastId || "0", 10) || 0;
    this.seen = new Set();
    this.catchingUp = false;
    var self = this;
    root.querySelectorAll("[data-post-id]").forEach(function (post) {
      self.seen.add(parseInt(post.dataset.postId, 10));
    });
    this.live = new LiveSocket(socketUrl(root.dataset.wsPath), {
      open: function (reconnect) { self.opened(reconnect); },
      message: function (data) { self.received(data); },
      closed: function (fatal) { self.closed(fatal); },
    });
    if (root.dataset.testHooks === "true") {
      window.forumTest = {
        drop: function () { self.live.pause(); },
        restore: function () { self.live.resume(); },
        isOpen: function () { return self.live.isOpen(); },
        opens: function () { return self.live.opens; },
        idle: function () { return !self.catchingUp; },
      };
    }
  }

  ThreadPage.prototype.opened = function (reconnect) {
    if (this.connection) {
      this.connection.hidden = true;
      this.connection.textContent = "";
    }
    if (reconnect) announce(this.status, this.root.dataset.labelReconnected);
    // Also on the first open: posts may have arrived between page render and now.
    this.catchUp();
  };

  ThreadPage.prototype.closed = function (fatal) {
    if (this.connection && !fatal) {
      this.connection.textContent = this.root.dataset.labelConnectionLost;
      this.connection.hidden = false;
    }
  };

  ThreadPage.prototype.catchUp = function () {
    var self = this;
    if (self.catchingUp || !self.sinceUrl) return;
    self.catchingUp = true;
    var fetchFrom = function (after) {
      var url = self.sinceUrl + "?na=" + encodeURIComponent(after);
      return window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("catch-up failed: " + response.status);
          return response.json();
        })
        .then(function (data) {
          var last = after;
          data.posts.forEach(function (post) {
            self.addPost(post.id, post.html, false);
            last = Math.max(last, post.id);
          });
          if (data.more && last > after) return fetchFrom(last);
          return null;
        });
    };
    fetchFrom(self.lastId)
      .catch(function () { /* the next reconnect tries again */ })
      .then(function () { self.catchingUp = false; });
  };

  ThreadPage.prototype.reveal = function (element) {
    var edit = element.querySelector("[data-control=edit]");
    if (edit && this.userId && element.dataset.authorId === this.userId) {
      var until = Date.parse(element.dataset.editableUntil || "");
      if (!isNaN(until) && until > Date.now()) edit.hidden = false;
    }
    var moderate = element.querySelector("[data-control=moderate]");
    if (moderate && this.canModerate) moderate.hidden = false;
  };

  ThreadPage.prototype.addPost = function (id, html, announceIt) {
    if (this.seen.has(id)) return;
    this.lastId = Math.max(this.lastId, id);
    if (!this.isLastPage) {
      if (this.newer) this.newer.hidden = false;
      return;
    }
    var element = fragment(html);
    if (!element) return;
    this.seen.add(id);
    this.reveal(element);
    var next = null;
    var posts = this.container.querySelectorAll("[data-post-id]");
    for (var i = 0; i < posts.length; i += 1) {
      if (parseInt(posts[i].dataset.postId, 10) > id) { next = posts[i]; break; }
    }
    this.container.insertBefore(element, next);
    var author = element.querySelector(".post__author");
    announce(this.status, this.root.dataset.labelNewPost + " " + (author ? author.textContent.trim() : ""));
  };

  ThreadPage.prototype.updatePost = function (id, html) {
    var current = this.container.querySelector('[data-post-id="' + id + '"]');
    if (!current) return;
    var element = fragment(html);
    if (!element) return;
    this.reveal(element);
    current.replaceWith(element);
    announce(this.status, this.root.dataset.labelUpdatedPost);
  };

  ThreadPage.prototype.threadUpdated = function (data) {
    var notice = this.root.querySelector("[data-forum-locked-notice]");
    var badge = this.root.querySelector("[data-forum-locked-badge]");
    var form = this.root.querySelector("[data-forum-reply]");
    if (notice) notice.hidden = !data.locked;
    if (badge) badge.hidden = !data.locked;
    if (form) form.hidden = !!data.locked;
    if (data.locked) announce(this.status, this.root.dataset.labelLocked);
    if (String(data.community_id) !== String(this.communityId)) {
      announce(this.status, this.root.dataset.labelMoved);
      if (this.connection) {
        this.connection.textContent = this.root.dataset.labelMoved;
        this.connection.hidden = false;
      }
    }
  };

  ThreadPage.prototype.received = function (data) {
    var notice = readerNotice(data);
    if (notice && this.connection) {
      this.connection.textContent = notice;
      this.connection.hidden = false;
      announce(this.status, notice);
    }
    if (data.type === "post_created") this.addPost(data.post_id, data.html, true);
    else if (data.type === "post_updated") this.updatePost(data.post_id, data.html);
    else if (data.type === "thread_updated") this.threadUpdated(data);
    else if (data.type === "content_moved" || data.type === "community_archived") {
      showLifecycleNotice(this.root, data);
    }
    else if (data.type === "posts") {
      var self = this;
      data.posts.forEach(function (post) { self.addPost(post.id, post.html, false); });
    }
  };

  /* --- thread list ------------------------------------------------------- */

  function ThreadList(root) {
    this.root = root;
    this.list = root.querySelector("[data-forum-threads]");
    this.empty = root.querySelector("[data-forum-empty]");
    this.status = root.querySelector("[data-forum-status]");
    this.communityId = root.dataset.communityId;
    this.firstPage = root.dataset.firstPage === "true";
    var self = this;
    this.live = new LiveSocket(socketUrl(root.dataset.wsPath), {
      open: function (reconnect) { if (reconnect) self.refresh(); },
      message: function (data) {
        if (data.type === "thread_updated") self.threadUpdated(data);
        else if (data.type === "content_moved" || data.type === "community_archived") {
          showLifecycleNotice(root, data);
        }
        var notice = readerNotice(data);
        if (notice) announce(self.status, notice);
      },
      closed: function (fatal) {
        if (!fatal) announce(self.status, root.dataset.labelConnectionLost);
      },
    });
  }

  ThreadList.prototype.row = function (id) {
    return this.list.querySelector('[data-thread-id="' + id + '"]');
  };

  ThreadList.prototype.threadUpdated = function (data) {
    var current = this.row(data.thread_id);
    if (String(data.community_id) !== String(this.communityId)) {
      if (current) current.remove();
      return;
    }
    var element = fragment(data.html);
    if (!element) return;
    element.classList.add("thread-row--unread");
    var marker = element.querySelector(".thread-row__new");
    if (marker) marker.hidden = false;
    if (!this.firstPage) {
      if (current) current.replaceWith(element);
      return;
    }
    if (current) current.remove();
    var pinned = this.list.querySelectorAll('[data-pinned="true"]');
    if (element.dataset.pinned === "true" || pinned.length === 0) {
      this.list.prepend(element);
    } else {
      pinned[pinned.length - 1].after(element);
    }
    if (this.empty) this.empty.hidden = true;
    var title = element.querySelector("h3 a");
    announce(this.status, this.root.dataset.labelNewActivity + " " + (title ? title.textContent.trim() : ""));
  };

  /* After a reconnect: take the list as the server renders it now. */
  ThreadList.prototype.refresh = function () {
    var self = this;
    window.fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (!text) return;
        var doc = new DOMParser().parseFromString(text, "text/html");
        var fresh = doc.querySelector("[data-forum-threads]");
        if (fresh) self.list.replaceChildren.apply(self.list, Array.from(fresh.children));
        if (self.empty) self.empty.hidden = self.list.children.length > 0;
      })
      .catch(function () { /* keep what we have */ });
  };

  document.querySelectorAll("[data-forum-thread]").forEach(function (root) { new ThreadPage(root); });
  document.querySelectorAll("[data-forum-list]").forEach(function (root) { new ThreadList(root); });
})();
