"""`wxconsole receiver`: the one server-side part (DESIGN.md, "Receiver"). It runs at the accounts' message-push URL
(消息推送), verifies and decrypts WeChat's pushes, stores the consent / delivery / follower events durably, can relay
every request to the company's existing backend, and serves a small authenticated API that consoles read.

Not core: it is a server under uvicorn (raw ASGI, like the simulator). It reads console.core only for the data
folder and the Chinese message catalog; console.core never imports it."""
