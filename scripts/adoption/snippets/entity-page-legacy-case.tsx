<EntitySwitch.Case if={isKind('microapp')} children={microAppPage} />
