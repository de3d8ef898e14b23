/**
 * Entry of the authorization server's patient picker: only its stylesheet (the EHR's), since
 * the picker is a plain form that needs no script.
 */
import '../../ehr/browser/ehr.css';
