"""The parts of the 编写 page (console.ui.views.pages.compose_page.ComposePage): one module per box of the form
(channel, template, field values, other settings) and the preview / "发送给我测试" panel on the right."""
