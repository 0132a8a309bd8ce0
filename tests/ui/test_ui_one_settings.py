"""One Settings object: what the operator saves on the settings page is what the services run with — in the sandbox
too, where the services' settings are the sandbox's, built from the operator's (console.app.sandbox_settings)."""

from __future__ import annotations

from dataclasses import replace

from console.ui.controllers.settings_controller import SettingsController
from console.usecases.runs import engine_config


def test_saved_retries_speed_and_quiet_hours_reach_the_running_services(controller, run) -> None:
    ctl = SettingsController(controller)
    services = controller.services
    assert services.sandbox

    async def scenario() -> None:
        saved = await ctl.save_now(replace(ctl.draft(), max_attempts=2, rate=7.0, concurrency=3,
                                           quiet_hours="22:00-08:00"))
        assert saved

    run(scenario())
    assert controller.services is services  # nothing the services are built from changed: not rebuilt
    settings = controller.services.settings
    assert (settings.max_attempts, settings.rate, settings.concurrency, settings.quiet_hours) == \
        (2, 7.0, 3, "22:00-08:00")
    config = engine_config(settings)
    assert (config.max_attempts, config.rate, config.concurrency) == (2, 7.0, 3)
    assert settings.sandbox and [a.appid for a in settings.accounts] == \
        [a.appid for a in controller.services_settings().accounts]  # still the demo accounts


def test_the_sandbox_starts_with_the_operators_retries(controller) -> None:
    controller.settings.max_attempts = 3
    controller.rebuild()
    assert controller.services.settings.max_attempts == 3
