/**
 * The friends, groups and profile panels, loaded together on first use by
 * chat-home (a dynamic import keeps them out of the app shell; the service
 * worker precaches the chunk, so they open offline too).
 */
import './friends-panel.js';
import './group-create-form.js';
import './group-info-panel.js';
import './join-view.js';
import './person-profile.js';
import './profile-editor.js';
import './side-sheet.js';
