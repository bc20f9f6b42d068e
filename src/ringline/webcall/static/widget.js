/* ringline web call widget: one <script> tag shows a call button that talks to an assistant.

   <script src="https://ringline.example.com/widget.js" data-token="wct..."></script>
   <script src="https://ringline.example.com/widget.js"
           data-token-url="/my-backend/ringline-token"></script>

   data-token-url is fetched with POST (same-origin credentials) and must answer JSON
   {"token": "..."}: the site's backend makes it with POST /v1/webcall/token.
   Or from code: Ringline.mount(element, {server, token | tokenUrl | getToken, onEvent}),
   which returns {call(), hangUp(), setReady(ready), clearError(), element}.

   Protocol (see ringline/webcall/serializer.py): the first message is JSON
   {"type": "start", "token"}; then binary 16 kHz mono PCM16 both ways and JSON text
   messages from the server: call, transcript, clear (stop playback), ended.
   Plain modern JS: getUserMedia, AudioWorklet (ScriptProcessor where missing), WebSocket. */
(function () {
  "use strict";
  var RATE = 16000;
  var PENDING_SECONDS = 3;
  var script = document.currentScript;
  var defaultServer = script && script.src ? new URL(script.src).origin : location.origin;

  var CAPTURE_WORKLET =
    "class RinglineCapture extends AudioWorkletProcessor {" +
    "  process(inputs) { var ch = inputs[0] && inputs[0][0];" +
    "    if (ch) this.port.postMessage(ch.slice(0)); return true; } }" +
    "registerProcessor('ringline-capture', RinglineCapture);";

  var STYLE =
    ".rl-widget{font:14px/1.4 system-ui,sans-serif;max-width:420px;border:1px solid #ccd;" +
    "border-radius:10px;padding:12px;background:#fff;color:#222}" +
    ".rl-widget button{font:inherit;padding:8px 16px;border:0;border-radius:18px;" +
    "cursor:pointer;color:#fff;background:#1a7f37}" +
    ".rl-widget button.rl-hangup{background:#c62828}" +
    ".rl-widget button:disabled{opacity:.5;cursor:default}" +
    ".rl-status{margin:8px 0;color:#555}.rl-error{color:#c62828}" +
    ".rl-transcript{max-height:240px;overflow-y:auto}" +
    ".rl-line{margin:4px 0}.rl-line b{margin-right:4px}";

  /** Downsamples float audio at `fromRate` to 16 kHz PCM16, keeping state across chunks. */
  function Downsampler(fromRate) {
    this.step = fromRate / RATE;
    this.position = 0;
    this.previous = 0;
  }
  Downsampler.prototype.push = function (input) {
    var out = [];
    var pos = this.position;
    while (pos < input.length) {
      var i = Math.floor(pos);
      var frac = pos - i;
      var a = i - 1 < 0 ? this.previous : input[i - 1];
      var b = input[i];
      var v = a + (b - a) * frac;
      v = Math.max(-1, Math.min(1, v));
      out.push(v < 0 ? v * 0x8000 : v * 0x7fff);
      pos += this.step;
    }
    this.position = pos - input.length;
    this.previous = input[input.length - 1];
    return Int16Array.from(out);
  };

  function socketUrl(server) {
    var url = new URL("/webcall/ws", server);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  /** One web call: microphone to the socket, the socket to the speakers. */
  function Call(options, emit) {
    this.options = options;
    this.emit = emit;
    this.sources = [];
    this.playhead = 0;
    this.started = false;
    this.closed = false;
    this.pending = [];
    this.pendingSamples = 0;
  }

  Call.prototype.start = async function (token) {
    var self = this;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    var Context = window.AudioContext || window.webkitAudioContext;
    this.context = new Context();
    await this.context.resume();
    await this.capture();
    this.ws = new WebSocket(socketUrl(this.options.server));
    this.ws.binaryType = "arraybuffer";
    this.ws.onopen = function () {
      self.ws.send(JSON.stringify({ type: "start", token: token }));
    };
    this.ws.onmessage = function (event) {
      if (typeof event.data === "string") self.message(JSON.parse(event.data));
      else self.play(new Int16Array(event.data));
    };
    this.ws.onclose = function (event) {
      self.finish(event.code, event.reason);
    };
  };

  Call.prototype.capture = async function () {
    var self = this;
    var context = this.context;
    var source = context.createMediaStreamSource(this.stream);
    var down = new Downsampler(context.sampleRate);
    var send = function (samples) {
      var pcm = down.push(samples);
      if (!pcm.length) return;
      if (self.started && self.ws && self.ws.readyState === WebSocket.OPEN) {
        self.ws.send(pcm.buffer);
      } else if (!self.started) {
        // Words said while the call connects are kept (the last few seconds) and sent first.
        self.pending.push(pcm);
        self.pendingSamples += pcm.length;
        while (self.pendingSamples > PENDING_SECONDS * RATE) {
          self.pendingSamples -= self.pending.shift().length;
        }
      }
    };
    var mute = context.createGain();
    mute.gain.value = 0;
    mute.connect(context.destination);
    if (context.audioWorklet && window.AudioWorkletNode) {
      var url = URL.createObjectURL(new Blob([CAPTURE_WORKLET], { type: "text/javascript" }));
      await context.audioWorklet.addModule(url);
      URL.revokeObjectURL(url);
      this.node = new AudioWorkletNode(context, "ringline-capture");
      this.node.port.onmessage = function (event) { send(event.data); };
    } else {
      this.node = context.createScriptProcessor(2048, 1, 1);
      this.node.onaudioprocess = function (event) {
        send(new Float32Array(event.inputBuffer.getChannelData(0)));
      };
    }
    source.connect(this.node);
    this.node.connect(mute);
  };

  Call.prototype.message = function (message) {
    if (message.type === "call") {
      this.started = true;
      this.callId = message.call_id;
      var ws = this.ws;
      this.pending.forEach(function (pcm) { ws.send(pcm.buffer); });
      this.pending = [];
      this.emit("call", { callId: message.call_id });
    } else if (message.type === "transcript") {
      this.emit("transcript", { role: message.role, text: message.text });
    } else if (message.type === "clear") {
      this.stopPlayback();
      this.emit("interrupted", {});
    } else if (message.type === "ended") {
      this.endedByServer = true;
    }
  };

  Call.prototype.play = function (pcm) {
    if (!pcm.length || !this.context) return;
    var buffer = this.context.createBuffer(1, pcm.length, RATE);
    var channel = buffer.getChannelData(0);
    for (var i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 0x8000;
    var node = this.context.createBufferSource();
    node.buffer = buffer;
    node.connect(this.context.destination);
    var at = Math.max(this.playhead, this.context.currentTime + 0.05);
    node.start(at);
    this.playhead = at + buffer.duration;
    var sources = this.sources;
    sources.push(node);
    node.onended = function () {
      var index = sources.indexOf(node);
      if (index >= 0) sources.splice(index, 1);
    };
  };

  Call.prototype.stopPlayback = function () {
    this.sources.forEach(function (node) {
      try { node.stop(); } catch (e) { /* already stopped */ }
    });
    this.sources = [];
    this.playhead = 0;
  };

  Call.prototype.hangUp = function () {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, "hung up");
    else this.finish(1000, "");
  };

  Call.prototype.finish = function (code, reason) {
    if (this.closed) return;
    this.closed = true;
    this.stopPlayback();
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    if (this.context) this.context.close().catch(function () { /* already closed */ });
    if (code === 1008 || code === 1013) {
      this.emit("error", { message: "Call refused: " + (reason || "not allowed") });
    } else if (!this.started && code !== 1000) {
      this.emit("error", { message: "Could not reach the assistant (code " + code + ")" });
    }
    this.emit("ended", { callId: this.callId, code: code, reason: reason });
  };

  async function fetchToken(options) {
    if (options.getToken) return options.getToken();
    if (options.token) {
      var token = options.token;
      options.token = null; // a token opens one call: the next call needs another source
      return token;
    }
    if (options.tokenUrl) {
      var response = await fetch(options.tokenUrl, { method: "POST", credentials: "same-origin" });
      if (!response.ok) throw new Error("the token URL answered " + response.status);
      return (await response.json()).token;
    }
    throw new Error("no token: give data-token, data-token-url or getToken");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** Shows the call button in `container`; returns {call(), hangUp()}. */
  function mount(container, options) {
    options = Object.assign({ server: defaultServer, label: "Call" }, options || {});
    if (!document.getElementById("rl-style")) {
      var style = element("style");
      style.id = "rl-style";
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    var root = element("div", "rl-widget");
    var button = element("button", "rl-call", options.label);
    var status = element("div", "rl-status", "Ready");
    var transcript = element("div", "rl-transcript");
    root.append(button, status, transcript);
    container.appendChild(root);
    var current = null;
    var ready = true; // whether the page has what a call needs (setReady)

    function emit(type, detail) {
      if (type === "call") {
        status.textContent = "Connected: speak now";
        status.className = "rl-status";
      } else if (type === "transcript") {
        var line = element("div", "rl-line rl-" + detail.role);
        line.append(element("b", null, detail.role === "agent" ? "Assistant:" : "You:"));
        line.append(document.createTextNode(detail.text));
        transcript.appendChild(line);
        transcript.scrollTop = transcript.scrollHeight;
      } else if (type === "error") {
        status.textContent = detail.message;
        status.className = "rl-status rl-error";
      } else if (type === "ended") {
        if (status.className.indexOf("rl-error") < 0) status.textContent = "Call ended";
        button.textContent = options.label;
        button.className = "rl-call";
        button.disabled = !ready;
        current = null;
      }
      if (options.onEvent) options.onEvent(type, detail);
      container.dispatchEvent(new CustomEvent("ringline:" + type, { detail: detail }));
    }

    async function call() {
      if (current) return;
      transcript.textContent = "";
      status.className = "rl-status";
      status.textContent = "Connecting…";
      button.disabled = true;
      var attempt = new Call(options, emit);
      current = attempt;
      try {
        var token = await fetchToken(options);
        await attempt.start(token);
        button.textContent = "Hang up";
        button.className = "rl-hangup";
        button.disabled = false;
      } catch (error) {
        attempt.started = true; // the error below is the whole story
        emit("error", { message: "Could not start the call: " + (error.message || error) });
        attempt.finish(1000, "");
      }
    }

    function hangUp() {
      if (current) current.hangUp();
    }

    button.addEventListener("click", function () {
      if (current) hangUp();
      else call();
    });
    /** Between calls, the button works only when `isReady`: a page can hold it until
        it has what getToken needs (the demo page: an API key and an assistant). */
    function setReady(isReady) {
      ready = Boolean(isReady);
      if (!current) button.disabled = !ready;
    }

    /** Forget the last error shown, once what caused it was put right. */
    function clearError() {
      if (!current && status.className.indexOf("rl-error") >= 0) {
        status.className = "rl-status";
        status.textContent = "Ready";
      }
    }

    return { call: call, hangUp: hangUp, element: root, setReady: setReady, clearError: clearError };
  }

  window.Ringline = { mount: mount };

  if (script && (script.dataset.token || script.dataset.tokenUrl)) {
    var holder = document.createElement("div");
    var place = function () {
      // Where the tag stands; from <head>, at the end of the page.
      if (script.parentNode && script.parentNode !== document.head) {
        script.parentNode.insertBefore(holder, script.nextSibling);
      } else {
        document.body.appendChild(holder);
      }
      mount(holder, {
        token: script.dataset.token,
        tokenUrl: script.dataset.tokenUrl,
        label: script.dataset.label || "Call",
      });
    };
    if (document.body || script.parentNode !== document.head) place();
    else document.addEventListener("DOMContentLoaded", place);
  }
})();
